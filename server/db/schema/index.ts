// Every area's tables; each area keeps its own file and its own migration.
export * from './core.ts';
export * from './outbox.ts';
export * from './tapkey.ts';
export * from './keycafe.ts';
export * from './bookings.ts';
