export * from './connections.module';
export * from './esc-connections';
export * from './shared-parameters';
