import { ApplicationCommandOptionType, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent, startHarness, type Harness } from './clientHarness.ts';

const GUILD = '830000000000000001';
const GENERAL = '830000000000000002';

async function harness(ackTimeoutMs?: number): Promise<Harness> {
  const h = await startHarness((sim) => sim.addGuild({ id: GUILD, name: 'G', channels: [{ id: GENERAL, name: 'general' }], members: [{ id: '830000000000000003', username: 'alice' }] }), ackTimeoutMs === undefined ? {} : { interactionAckTimeoutMs: ackTimeoutMs });
  await h.client.application?.commands.set([
    { name: 'ping', description: 'Ping' },
    { name: 'who', description: 'Mention', options: [{ type: ApplicationCommandOptionType.Mentionable, name: 'target', description: 't', required: true }] },
  ]);
  return h;
}

describe('interaction edge cases', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    expect(h?.uncaught ?? []).toEqual([]);
    await h?.stop();
    h = undefined;
  });

  it('a follow-up right after deferReply edits the loading message (Discord quirk) and keeps its ephemerality', async () => {
    h = await harness();
    const got = nextEvent<ChatInputCommandInteraction>(h.client, 'interactionCreate');
    const rec = await h.sim.invoke(GUILD, '830000000000000003', '/ping');
    const i = await got;
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const first = await i.followUp('pong');
    expect(first.id).toBe(rec.originalMessageId);
    const second = await i.followUp('again');
    expect(second.id).not.toBe(rec.originalMessageId);
    expect(rec.responses.map((r) => [r.kind, r.ephemeral])).toEqual([
      ['callback', true],
      ['followup', true],
      ['followup', false],
    ]);
    expect(h.sim.messages(GENERAL).map((m) => m.content)).toEqual(['again']);
  });

  it('withResponse returns the created message; mentionable resolves users and roles', async () => {
    h = await harness();
    const got = nextEvent<ChatInputCommandInteraction>(h.client, 'interactionCreate');
    await h.sim.invoke(GUILD, '830000000000000003', '/who @alice');
    const i = await got;
    expect(i.options.getMentionable('target')).toMatchObject({ id: '830000000000000003' });
    const res = await i.reply({ content: 'hi', withResponse: true });
    expect(res.resource?.message?.content).toBe('hi');
    const got2 = nextEvent<ChatInputCommandInteraction>(h.client, 'interactionCreate');
    await h.sim.invoke(GUILD, '830000000000000003', `/who <@&${GUILD}>`);
    const i2 = await got2;
    expect(i2.options.getMentionable('target')).toMatchObject({ id: GUILD, name: '@everyone' });
    await i2.reply('ok');
  });

  it('an interaction answered after the acknowledgement deadline gets 10062 Unknown interaction', async () => {
    h = await harness(0);
    const got = nextEvent<ChatInputCommandInteraction>(h.client, 'interactionCreate');
    const rec = await h.sim.invoke(GUILD, '830000000000000003', '/ping');
    const i = await got;
    const e = await i.reply('too late').catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 404, code: 10062 });
    expect(rec.responses).toEqual([]);
    await expect(h.sim.waitForInteractionResponse(rec, undefined, 50)).rejects.toThrow(/got 0: none/);
  });

  it('waitForMessage times out with a description of what arrived', async () => {
    h = await harness();
    await expect(h.sim.waitForMessage(GENERAL, (m) => m.content === 'never', 50)).rejects.toThrow(/0 message\(s\) there/);
  });
});
