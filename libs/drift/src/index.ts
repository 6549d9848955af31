export * from './compare';
export * from './drift-check';
export * from './drift.module';
export * from './resource-drift';
export * from './resource-drift-check';
