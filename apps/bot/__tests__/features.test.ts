/**
 * The feature list and what the bot assembles from it: every feature folder is listed, names are unique,
 * the derived handler and chat command orders are the intended ones, every subcommand has a handler,
 * and each guild setting is owned once with the default a new guild really gets (real PostgreSQL).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '@kickcord/db/testing';
import { ApplicationCommandOptionType, type ChatInputCommandInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { BotContext } from '../src/context.ts';
import { routeSubcommands } from '../src/discord/subcommands.ts';
import { chatCommandsOf, commands, kickEventHandlers, maintenanceTasks } from '../src/features/assemble.ts';
import type { BotFeature } from '../src/features/BotFeature.ts';
import { features } from '../src/features/index.ts';
import { guildSettings } from '../src/guildSettings.ts';
import { BUILTIN_CHAT_COMMANDS } from '../src/kickChat/builtinChatCommand.ts';
import { CHAT_COMMAND_SETTINGS, dispatchOrder } from '../src/kickChat/chatCommandDispatcher.ts';
import { UserFacingError } from '../src/UserFacingError.ts';

const FEATURES_DIR = join(import.meta.dirname, '../src/features');

function isFeature(value: unknown): value is BotFeature {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

function duplicates(names: readonly string[]): string[] {
  return names.filter((n, i) => names.indexOf(n) !== i);
}

describe('feature list', () => {
  it('lists the feature of every folder under src/features (a folder + one line adds a feature)', async () => {
    const folders = readdirSync(FEATURES_DIR).filter((d) => statSync(join(FEATURES_DIR, d)).isDirectory());
    expect(folders.length).toBe(features.length);
    for (const folder of folders) {
      const exported = Object.values(await import(join(FEATURES_DIR, folder, 'index.ts'))).filter(isFeature);
      expect(exported, `features/${folder}/index.ts exports one BotFeature`).toHaveLength(1);
      expect(features, `features/${folder} is in the feature list`).toContain(exported[0]);
    }
  });

  it('gives features, slash commands, Kick event handlers and maintenance tasks unique names', () => {
    expect(duplicates(features.map((f) => f.name))).toEqual([]);
    for (const f of features) expect(f.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(duplicates(commands.map((c) => c.data.name))).toEqual([]);
    expect(duplicates(kickEventHandlers.map((h) => h.name))).toEqual([]);
    expect(duplicates(maintenanceTasks.map((t) => t.name))).toEqual([]);
    expect(commands.map((c) => c.data.name).sort()).toEqual(['announce', 'command', 'commands', 'counters', 'filters', 'games', 'gtb', 'kick', 'leaderboard', 'leaderboard-exclude', 'link', 'loyalty', 'mod', 'overlay', 'points', 'quotes', 'raffle', 'rewards', 'role-rewards', 'shop', 'slotcalls', 'timer', 'unlink', 'watchtime']);
    expect(maintenanceTasks.map((t) => t.name).sort()).toEqual([
      'duel-expiry',
      'expire-stuck-chat-replies',
      'flush-last-heard',
      'flush-new-viewers',
      'linked-roles-sync',
      'live-status-check',
      'purge-expired-records',
      'purge-inactive-guilds',
      'raffle-auto-close',
      'reconcile-subscriptions',
      'refresh-tokens',
      'role-rewards-reconcile',
      'role-rewards-sync',
      'shop-role-expiry',
      'timers-tick',
      'watchtime-tick',
    ]);
  });

  it('runs the Kick event handlers of one delivery in feature order, chat commands last', () => {
    expect(kickEventHandlers.map((h) => h.name)).toEqual(['stream-sessions', 'loyalty-bonuses', 'leaderboard-ban-exclusion', 'announcements', 'role-rewards-subscriptions', 'follow-recorder', 'raffle-gifted-sub-tickets', 'channel-rewards:redemption', 'overlay-alerts', 'chat']);
  });

  it('asks built-ins before games, and custom commands (the fallback) after everything else', () => {
    const ordered = dispatchOrder(chatCommandsOf(features)).map((c) => c.name);
    expect(ordered).toEqual([
      'chat-filters',
      'builtin-uptime',
      'builtin-points',
      'watchtime-activity',
      'viewers-first-sight',
      'builtin-watchtime',
      'builtin-top',
      'role-rewards-badges',
      'account-link',
      'builtin-commands',
      'builtin-title',
      'builtin-game',
      'builtin-so',
      'builtin-followage',
      'builtin-quote',
      'builtin-deaths',
      'raffle-entry',
      'gtb-guess',
      'slot-call',
      'shop-list',
      'shop-redeem',
      'gamble',
      'duel',
      'duel-accept',
      'timer-lines',
      'overlay-chat',
      'custom-commands',
      'custom-counters',
    ]);
    // Even a feature listed after custom commands could not be shadowed by them.
    const fallbackFirst = dispatchOrder([...chatCommandsOf(features.filter((f) => f.name === 'custom-commands')), ...chatCommandsOf(features.filter((f) => f.name === 'raffles'))]);
    expect(fallbackFirst.map((c) => c.name)).toEqual(['builtin-commands', 'raffle-entry', 'custom-commands']);
  });

  it('implements every built-in chat command that !commands lists exactly once', () => {
    const builtins = chatCommandsOf(features)
      .map((c) => c.name)
      .filter((n) => n.startsWith('builtin-'));
    expect(builtins.sort()).toEqual(BUILTIN_CHAT_COMMANDS.map((n) => `builtin-${n}`).sort());
  });
});

describe('subcommands', () => {
  it('every subcommand registered with Discord has a handler, and no handler lacks a subcommand', () => {
    let withSubcommands = 0;
    for (const command of commands) {
      // Subcommands at the top level and inside subcommand groups (`/commands builtin enable`).
      const registered = (command.data.options ?? []).flatMap((o) =>
        o.type === ApplicationCommandOptionType.Subcommand ? [o.name] : o.type === ApplicationCommandOptionType.SubcommandGroup ? (o.options ?? []).map((s) => s.name) : [],
      );
      if (registered.length === 0) {
        expect(command.subcommands, `/${command.data.name}`).toBeUndefined();
        continue;
      }
      withSubcommands++;
      expect([...(command.subcommands ?? [])].sort(), `/${command.data.name}`).toEqual([...registered].sort());
    }
    expect(withSubcommands).toBe(21);
  });

  it('dispatches to the named handler and refuses an unknown subcommand with a clear error', async () => {
    const calls: string[] = [];
    const route = routeSubcommands({
      add: async () => {
        calls.push('add');
      },
      remove: async () => {
        calls.push('remove');
      },
    });
    expect(route.subcommands).toEqual(['add', 'remove']);
    const interaction = (name: string) => ({ options: { getSubcommand: () => name } }) as unknown as ChatInputCommandInteraction<'cached'>;
    const ctx = {} as BotContext;
    await route.execute(interaction('remove'), ctx);
    expect(calls).toEqual(['remove']);
    await expect(route.execute(interaction('nope'), ctx)).rejects.toThrow(new UserFacingError('Unknown subcommand nope.'));
    await expect(route.execute(interaction('toString'), ctx)).rejects.toBeInstanceOf(UserFacingError);
    expect(calls).toEqual(['remove']);
  });
});

describe('guild settings', () => {
  it('owns every declared setting once, with the default a new guild gets', async () => {
    const owners = [...features.map((f) => ({ owner: f.name, settings: f.settings ?? {} })), { owner: 'chat commands', settings: CHAT_COMMAND_SETTINGS }];
    const keys = owners.flatMap((o) => Object.keys(o.settings));
    expect(duplicates(keys)).toEqual([]);
    expect(keys.length).toBeGreaterThanOrEqual(14);

    const db = await createTestDatabase();
    try {
      await db.prisma.guild.create({ data: { id: '400000000000000001', name: 'Defaults' } });
      const row = await guildSettings(db.prisma, '400000000000000001');
      for (const { owner, settings } of owners) {
        for (const [key, value] of Object.entries(settings)) expect(row[key as keyof typeof row], `${owner}: ${key}`).toEqual(value);
      }
    } finally {
      await db.drop();
    }
  });
});
