// Loaded before every test file (vitest.config.ts setupFiles). zod 4 copies prototype methods
// onto each schema when it is created, so `.openapi()` exists only on schemas created after
// @hono/zod-openapi extended zod. A test importing lib/contract.ts before the server would
// otherwise leave the contract's schemas without `.openapi` and the routers would fail to load.
import '@hono/zod-openapi';
