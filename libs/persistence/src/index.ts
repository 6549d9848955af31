export * from './generated/prisma/client';
export * from './migrations/migrate';
export * from './persistence.module';
export * from './prisma.service';
export * from './repositories/esc-callback.repository';
export * from './repositories/instance.repository';
export * from './repositories/service.repository';
export * from './repositories/template.repository';
