export * from './compare';
export * from './drift-check';
export * from './drift.module';
