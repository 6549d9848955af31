import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { IsArray, IsObject, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { DATATYPE, SECURED_MASK, SHARED_PARAMETER_NAME } from '../shared-parameter-values';

export const SHARED_PARAMETER_FIELDS = ['name', 'datatype', 'values', 'secured_keys'];
export const SHARED_PARAMETER_READ_ONLY_FIELDS = ['id', 'tenantId', 'creationTime', 'lastUpdated'];

const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);
const Name = () => applyDecorators(IsString({ message: 'name must be a string' }), Matches(SHARED_PARAMETER_NAME, { message: 'name must be 1..128 characters of A-Z a-z 0-9 . _ -' }));
const Datatype = () => applyDecorators(IsString({ message: 'datatype must be a string' }), Matches(DATATYPE, { message: 'datatype must be 1..64 characters of A-Z a-z 0-9 . _ -' }));
const Values = () => IsObject({ message: 'values must be a JSON object of string, number or boolean values' });
const SecuredKeys = () =>
  applyDecorators(IsArray({ message: 'secured_keys must be an array of keys of values' }), IsString({ each: true, message: 'secured_keys must be an array of keys of values' }));

const doc: Record<'name' | 'datatype' | 'values' | 'secured_keys', ApiPropertyOptions> = {
  name: { example: 'DefaultNoBastionHostRequired', pattern: SHARED_PARAMETER_NAME.source, description: 'unique for the tenant; what a `sharedparameter` parameter names' },
  datatype: { example: 'bastionhost', pattern: DATATYPE.source },
  values: {
    type: 'object' as const,
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    example: { bastion_host: '', bastion_port: 22, bastion_user: '', bastion_password: '' },
    description: `key → string | number | boolean. On PUT, a secured value sent as "${SECURED_MASK}" keeps the stored one`,
  },
  secured_keys: { type: 'array', items: { type: 'string' }, example: ['bastion_password'], description: `keys whose values are secrets: stored encrypted and shown as "${SECURED_MASK}". On PUT, omitted keeps those still in values` },
};

export class CreateSharedParameterDto {
  @ApiProperty(doc.name) @Name() name: string;
  @ApiProperty(doc.datatype) @Datatype() datatype: string;
  @ApiProperty(doc.values) @Values() values: Record<string, unknown>;
  @ApiPropertyOptional(doc.secured_keys) @IsOptional() @SecuredKeys() secured_keys?: string[];
}

/** A partial update: what is omitted stays; values, when given, replace all the values. */
export class UpdateSharedParameterDto {
  @ApiPropertyOptional(doc.name) @present('name') @Name() name?: string;
  @ApiPropertyOptional(doc.datatype) @present('datatype') @Datatype() datatype?: string;
  @ApiPropertyOptional(doc.values) @present('values') @Values() values?: Record<string, unknown>;
  @ApiPropertyOptional(doc.secured_keys) @present('secured_keys') @SecuredKeys() secured_keys?: string[];
}
