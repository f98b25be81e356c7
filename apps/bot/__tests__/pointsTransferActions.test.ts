/**
 * The points import's actions (`points.import.check`, `.confirm`, `.cancel`), which `/points import` with its
 * buttons and the dashboard both run, on real PostgreSQL and Redis: the dry run keeps the import under the request's
 * id, a bad file is refused listing its lines, Confirm applies once and is audited under the caller's source, and
 * an import is confirmed only in the server that prepared it.
 */
import { appendLedgerEntries } from '@kickcord/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuildActionCall } from '../src/guildActions/GuildAction.ts';
import { runGuildAction } from '../src/guildActions/guildActionsProcessor.ts';
import { MAX_IMPORT_BYTES } from '../src/features/loyalty/pointsTransfer.ts';
import { cancelPointsImport, checkPointsImport, confirmPointsImport } from '../src/features/loyalty/pointsTransferActions.ts';
import { dashboardCall, refusal } from './helpers/actionCalls.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
const call = (over: Partial<GuildActionCall> = {}): GuildActionCall => dashboardCall(stack.guildId, over);

const balance = async (guildId: string, kickUserId: number) => (await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId } } }))?.points ?? 0;

beforeAll(async () => {
  stack = await startServiceStack({ handlers: [] });
  await appendLedgerEntries(stack.db.prisma, [
    { guildId: stack.guildId, kickUserId: 9101, username: 'pt_one', kind: 'admin', points: 10, idempotencyKey: 'seed:9101' },
    { guildId: stack.guildId, kickUserId: 9102, username: 'pt_two', kind: 'admin', points: 20, idempotencyKey: 'seed:9102' },
  ]);
});
afterAll(async () => stack?.close());

describe('points import actions', () => {
  it('checks, then confirms once with an audit entry under the caller’s source', async () => {
    const c = call();
    const dry = await runGuildAction(stack.ctx, checkPointsImport, c, { csvText: 'username,points\nPT_ONE,5\npt_two,6\nnobody_here,1\n', fileName: 'se.csv' });
    expect(dry.data).toMatchObject({ importId: c.requestId, toImport: 2, mode: 'add', format: 'generic', rows: 3 });
    expect(dry.message).toContain('📥 **Dry run** of `se.csv` — format: generic (username + points), 3 rows.');
    expect(dry.message).toContain('(Mode **set** would make the balances equal the file instead.)');
    expect(dry.message).toContain('nobody_here (line 4)');
    // From Discord the hint names the slash command's option.
    const fromDiscord = await runGuildAction(stack.ctx, checkPointsImport, call({ source: 'discord' }), { csvText: 'username,points\npt_one,1\n' });
    expect(fromDiscord.message).toContain('(`mode:set` would make the balances equal the file instead.)');

    const done = await runGuildAction(stack.ctx, confirmPointsImport, call(), { importId: c.requestId });
    expect(done.message).toMatch(/^✅ Imported 2 rows \(mode add: added to balances\)\. Import id `[0-9a-f]{16}`\.$/);
    expect([await balance(stack.guildId, 9101), await balance(stack.guildId, 9102)]).toEqual([15, 26]);
    expect(await refusal(runGuildAction(stack.ctx, confirmPointsImport, call(), { importId: c.requestId }))).toBe('This import has expired or was already handled. Run `/points import` again.');
    expect([await balance(stack.guildId, 9101), await balance(stack.guildId, 9102)]).toEqual([15, 26]);
    const audits = await stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guildId, action: 'points.import' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ source: 'dashboard', actorName: 'dash_mod' });
    expect(audits[0]?.detail).toMatchObject({ mode: 'add', rows: 2, skipped: 0 });
  });

  it('refuses a bad file listing its lines, and a file over the limit', async () => {
    expect(await refusal(runGuildAction(stack.ctx, checkPointsImport, call(), { csvText: 'username,points\nok_user,5\nbroken,-1\n', fileName: 'bad.csv' }))).toBe(
      'Nothing was imported — `bad.csv` has problems:\n• line 3: points "-1" can\'t be negative',
    );
    expect(await refusal(runGuildAction(stack.ctx, checkPointsImport, call(), { csvText: 'who,what\n1,2\n' }))).toMatch(/^Nothing was imported — the pasted text has problems:\n• line 1: Header "who,what" has no username column/);
    // Characters within the limit, bytes over it (é is two bytes in UTF-8).
    const wide = `username,points\n${'é'.repeat(MAX_IMPORT_BYTES / 2 + 100)}`;
    expect(await refusal(runGuildAction(stack.ctx, checkPointsImport, call(), { csvText: wide }))).toMatch(/^That file is \d+ KiB; the limit is 5 MiB\. Split it into smaller files\.$/);
    expect(await refusal(runGuildAction(stack.ctx, checkPointsImport, call(), { csvText: 'x'.repeat(MAX_IMPORT_BYTES + 1) }))).toBe('csvText: That file is larger than 5 MiB. Split it into smaller files.');
    expect(await refusal(runGuildAction(stack.ctx, checkPointsImport, call(), { csvText: 'username,points\na,1\n', mode: 'double' as 'set' }))).toBe('mode: Choose the mode: set or add.');
  });

  it('confirms or cancels an import only in the server that prepared it', async () => {
    const other = await stack.addOwnerGuild('ptother');
    const before = await balance(stack.guildId, 9101);
    const c = call({ guildId: other.guildId });
    await runGuildAction(stack.ctx, checkPointsImport, c, { csvText: 'kick_user_id,username,points\n9101,pt_one,500\n' });
    expect(await refusal(runGuildAction(stack.ctx, confirmPointsImport, call(), { importId: c.requestId }))).toBe('This import belongs to another server.');
    expect(await refusal(runGuildAction(stack.ctx, cancelPointsImport, call(), { importId: c.requestId }))).toBe('This import belongs to another server.');
    expect(await balance(stack.guildId, 9101)).toBe(before);
    expect(await refusal(runGuildAction(stack.ctx, confirmPointsImport, call(), { importId: 'a:b' }))).toBe('importId: This import id is not valid. Upload the file again.');
    expect((await runGuildAction(stack.ctx, cancelPointsImport, call({ guildId: other.guildId }), { importId: c.requestId })).message).toBe('Import cancelled — nothing was changed.');
    expect(await refusal(runGuildAction(stack.ctx, confirmPointsImport, call({ guildId: other.guildId }), { importId: c.requestId }))).toContain('expired or was already handled');
    expect(await balance(other.guildId, 9101)).toBe(0);
  });
});
