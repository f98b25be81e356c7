import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { samplePayloads } from '../src/events/samplePayloads.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('../examples/dispatcher.ts', import.meta.url), 'utf8');

describe('README dispatcher example', () => {
  it('is examples/dispatcher.ts, character for character', () => {
    const block = /<!-- examples\/dispatcher\.ts -->\n```ts\n([\s\S]*?)```/u.exec(readme);
    expect(block, 'README.md needs the example as a ```ts block right after <!-- examples/dispatcher.ts -->').not.toBeNull();
    expect(block?.[1]).toBe(example);
  });

  it('runs as written and prints what the handlers saw', async () => {
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.join(' ')));
    const errors = vi.spyOn(console, 'error');
    await import('../examples/dispatcher.ts');
    const chat = samplePayloads['chat.message.sent'];
    const follow = samplePayloads['channel.followed'];
    const chatEvent = `event chat.message.sent for broadcaster ${chat.broadcaster.user_id}`;
    const followEvent = `event channel.followed for broadcaster ${follow.broadcaster.user_id}`;
    const thanks = `thanks for the follow, ${follow.follower.username}!`;
    expect(logs).toEqual([
      `${chat.sender.username}: ${chat.content}`,
      chatEvent,
      '2 handlers ran, 0 failed',
      thanks,
      `first follower of ${follow.broadcaster.username}: ${follow.follower.username}`,
      followEvent,
      '3 handlers ran, 0 failed',
      thanks,
      followEvent,
      '2 handlers ran, 0 failed',
      'follow handlers left: 0',
    ]);
    expect(errors).not.toHaveBeenCalled();
  });
});
