import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsDefined, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';

export class SpecificationDto {
  @ApiProperty({ example: 'image' })
  @IsString()
  @Length(1, 255)
  name: string;

  @ApiProperty({ example: 'ASA', description: 'The value of the input parameter' })
  @IsDefined()
  value: unknown;

  @IsOptional()
  @IsString()
  label?: string;

  @IsOptional()
  @IsBoolean()
  secured?: boolean;
}

export class ResourcePropertiesDto {
  @IsOptional()
  @IsArray()
  templateParameters?: unknown[];

  @ApiPropertyOptional({ type: [SpecificationDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SpecificationDto)
  specifications?: SpecificationDto[];
}

export class OwnershipDto {
  @IsOptional() @IsString() username?: string;
  @IsOptional() @IsString() displayName?: string;
  @IsOptional() @IsString() orgGuid?: string;
  @IsOptional() @IsString() spaceGuid?: string;
  @IsOptional() @IsString() tenantId?: string;
}

export class TagInputDto {
  @IsString() name: string;
  @IsOptional() value?: unknown;
  @IsOptional() @IsString() label?: string;
  @IsOptional() @IsBoolean() secured?: boolean;
}

/** The body of POST ServiceManifest/{id}/deploy (CAM's service__instance_create.json). */
export class DeployInstanceDto {
  @ApiProperty({ example: 'asa-edge-01' })
  @IsString()
  @Length(1, 255)
  name: string;

  @ApiPropertyOptional({ example: 'Standard' })
  @IsOptional()
  @IsString()
  instance_plan?: string;

  @IsOptional()
  @IsString()
  instance_plan_id?: string;

  @ApiPropertyOptional({ example: 'Provision' })
  @IsOptional()
  @IsString()
  action?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TagInputDto)
  tags_input?: TagInputDto[];

  @ApiPropertyOptional({ type: ResourcePropertiesDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResourcePropertiesDto)
  resourceProperties?: ResourcePropertiesDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OwnershipDto)
  ownership?: OwnershipDto;
}
