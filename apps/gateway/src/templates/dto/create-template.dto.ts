import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';

export class CreateTemplateDto {
  @ApiProperty({ example: 'asa-deployment' })
  @IsString()
  @Length(1, 255)
  name: string;

  @ApiProperty({ example: '1.0' })
  @IsString()
  @Matches(/^[0-9A-Za-z._-]{1,64}$/, { message: 'version must be 1..64 characters of 0-9 A-Z a-z . _ -' })
  version: string;

  @ApiProperty({ enum: ['ESC'], description: 'Only ESC XML templates run on this gateway' })
  @IsIn(['ESC'], { message: "type must be 'ESC'" })
  type: 'ESC';

  @ApiProperty({ description: 'ESC XML (esc_datamodel, tenant, network, subnet, image, flavor, volume, service_operation or vm_operation) with ${name} placeholders' })
  @IsString()
  @Length(1, 1_000_000)
  content: string;
}

export class NewTemplateVersionDto {
  @ApiProperty({ example: '1.1' })
  @IsString()
  @Matches(/^[0-9A-Za-z._-]{1,64}$/, { message: 'version must be 1..64 characters of 0-9 A-Z a-z . _ -' })
  version: string;

  @ApiProperty({ description: 'ESC XML with ${name} placeholders' })
  @IsString()
  @Length(1, 1_000_000)
  content: string;
}
