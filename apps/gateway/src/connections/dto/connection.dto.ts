import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { CONNECTION_NAME, ConnectionInput, ESC_TENANT_NAME } from '../connection-fields';

/** Every field a connection body may have (read-only answer fields aside). */
export const CONNECTION_FIELDS = ['name', 'url', 'username', 'password', 'default_tenant', 'ca_bundle', 'timeout_seconds', 'max_in_flight'];
/** Fields of the answer a client may send back unchanged; they are ignored. */
export const CONNECTION_READ_ONLY_FIELDS = ['id', 'builtin', 'password_set', 'tenantId', 'creationTime', 'lastUpdated'];

const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);
/** null or "" clears the field. */
const clearable = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined && o[field] !== null && o[field] !== '');

const Name = () =>
  applyDecorators(IsString({ message: 'name must be a string' }), Matches(CONNECTION_NAME, { message: "name must be 1..64 characters of A-Z a-z 0-9 . _ - ('default' is reserved)" }));
const Url = () => applyDecorators(IsString({ message: 'url must be a string' }), MaxLength(2048, { message: 'url must be at most 2048 characters' }));
const Username = () =>
  applyDecorators(
    IsString({ message: 'username must be a string' }),
    Length(1, 256, { message: 'username must be 1..256 characters' }),
    Matches(/^[^:\u0000-\u001f\u007f]*$/, { message: "username must not contain ':' or control characters (HTTP Basic)" }),
  );
const Password = () => applyDecorators(clearable('password'), IsString({ message: 'password must be a string' }), MaxLength(1024, { message: 'password must be at most 1024 characters' }));
const DefaultTenant = () =>
  applyDecorators(clearable('default_tenant'), IsString({ message: 'default_tenant must be a string' }), Matches(ESC_TENANT_NAME, { message: 'default_tenant must be 1..72 characters of A-Z a-z 0-9 . _ - (an ESC tenant name)' }));
const CaBundle = () => applyDecorators(clearable('ca_bundle'), IsString({ message: 'ca_bundle must be a string of PEM text' }), MaxLength(200_000, { message: 'ca_bundle must be at most 200000 characters' }));
const Bounded = (field: string, min: number, max: number) =>
  applyDecorators(
    IsOptional(),
    IsInt({ message: `${field} must be an integer` }),
    Min(min, { message: `${field} must be between ${min} and ${max}` }),
    Max(max, { message: `${field} must be between ${min} and ${max}` }),
  );

const doc = {
  name: { example: 'esc-east', pattern: CONNECTION_NAME.source, description: "unique for the tenant; what flows name; 'default' is the connection ESC_URL configures" },
  url: { example: 'https://esc-east.example:8443/ESCManager', description: 'http(s), up to and including /ESCManager, no credentials (a trailing slash is dropped)' },
  username: { example: 'admin', description: 'HTTP Basic user' },
  password: { type: String, nullable: true, writeOnly: true, example: 'esc-password', description: 'HTTP Basic password: stored encrypted, never returned (answers say password_set). On PUT: omitted keeps it, null or "" removes it' },
  default_tenant: { type: String, nullable: true, example: 'admin', description: 'ESC tenant used when a step names none (null or "" clears it)' },
  ca_bundle: { type: String, nullable: true, description: 'PEM certificates to trust for an https url, instead of the system CAs (no private key; null or "" clears it)' },
  timeout_seconds: { type: Number, nullable: true, minimum: 1, maximum: 300, default: 30, description: 'per-request timeout (null: the default)' },
  max_in_flight: { type: Number, nullable: true, minimum: 1, maximum: 1000, default: 16, description: 'requests in flight at once on this connection; more wait their turn (null: the default)' },
};

export class CreateConnectionDto implements ConnectionInput {
  @ApiProperty(doc.name) @Name() name: string;
  @ApiProperty(doc.url) @Url() url: string;
  @ApiProperty(doc.username) @Username() username: string;
  @ApiPropertyOptional(doc.password) @Password() password?: string | null;
  @ApiPropertyOptional(doc.default_tenant) @DefaultTenant() default_tenant?: string | null;
  @ApiPropertyOptional(doc.ca_bundle) @CaBundle() ca_bundle?: string | null;
  @ApiPropertyOptional(doc.timeout_seconds) @Bounded('timeout_seconds', 1, 300) timeout_seconds?: number | null;
  @ApiPropertyOptional(doc.max_in_flight) @Bounded('max_in_flight', 1, 1000) max_in_flight?: number | null;
}

/** A partial update: what is omitted stays. */
export class UpdateConnectionDto implements Partial<ConnectionInput> {
  @ApiPropertyOptional(doc.name) @present('name') @Name() name?: string;
  @ApiPropertyOptional(doc.url) @present('url') @Url() url?: string;
  @ApiPropertyOptional(doc.username) @present('username') @Username() username?: string;
  @ApiPropertyOptional(doc.password) @Password() password?: string | null;
  @ApiPropertyOptional(doc.default_tenant) @DefaultTenant() default_tenant?: string | null;
  @ApiPropertyOptional(doc.ca_bundle) @CaBundle() ca_bundle?: string | null;
  @ApiPropertyOptional(doc.timeout_seconds) @Bounded('timeout_seconds', 1, 300) timeout_seconds?: number | null;
  @ApiPropertyOptional(doc.max_in_flight) @Bounded('max_in_flight', 1, 1000) max_in_flight?: number | null;
}
