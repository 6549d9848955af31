// The e2e-pg-queue project (jest.config.js): its suites' stacks run BullMQ on PostgreSQL.
process.env.E2E_QUEUE_BACKEND = 'postgres';
