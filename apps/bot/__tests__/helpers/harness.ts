// The full-stack test harness (kick-sim + discord-sim + apps/web + the real bot, fresh DB and queue
// prefix) lives in the e2e package so that apps/bot never imports apps/web:
//
//   import { startTestStack } from '@kickcord/e2e';
//
// Write tests that need the whole stack in e2e/__tests__/<feature>.e2e.test.ts.
// Service-level tests (a BotContext over a test database) stay in apps/bot/__tests__/.
export {};
