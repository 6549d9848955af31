import { Module } from '@nestjs/common';
import { EscClient } from './client/esc-client';

@Module({ providers: [EscClient], exports: [EscClient] })
export class EscModule {}
