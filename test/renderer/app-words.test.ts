import { describe, expect, it } from 'vitest';
import type { LabClient, LabEvent } from '../../common/lab-api';
import { inAppLanguage } from '../../renderer/src/lib/app-words';

const REASON = 'The target "grade" holds 3 distinct whole numbers, so they are treated as class codes; use --task regression to predict it as a number.';
const APP_REASON = 'The target "grade" holds 3 distinct whole numbers, so they are treated as class codes; choose Regression in Task to predict it as a number.';

/** A lab whose replies, events and failures carry the command line's words, as the real lab's do. */
function fakeLab(): { lab: LabClient; emit: (event: unknown) => void } {
  let listener: ((event: LabEvent) => void) | null = null;
  const weights = new Float32Array([1, 2]);
  const lab = {
    openExample: async () => ({ summary: { warnings: [REASON], preview: [{ note: 'use --task regression' }] }, weights }),
    startSession: async () => { throw new Error('Run r1 has already trained 40 epochs; to continue it, allow more than that (--epochs 41 or more).'); },
    subscribe: (l: (event: LabEvent) => void) => {
      listener = l;
      return () => { listener = null; };
    },
  } as unknown as LabClient;
  return { lab, emit: (event) => listener?.(event as LabEvent) };
}

describe('the lab as the app speaks it', () => {
  it('puts the app’s controls in place of flags in every string of a reply, leaving a file’s cells and typed arrays alone', async () => {
    const { lab } = fakeLab();
    const reply = await (inAppLanguage(lab) as unknown as { openExample(): Promise<{ summary: { warnings: string[]; preview: { note: string }[] }; weights: Float32Array }> }).openExample();
    expect(reply.summary.warnings).toEqual([APP_REASON]);
    expect(reply.summary.preview[0]!.note).toBe('use --task regression');
    expect(Array.from(reply.weights)).toEqual([1, 2]);
  });

  it('says a failure in the app’s words', async () => {
    const { lab } = fakeLab();
    const started = (inAppLanguage(lab) as unknown as { startSession(): Promise<void> }).startSession();
    await expect(started).rejects.toThrow('Run r1 has already trained 40 epochs; to continue it, allow more than that (Epochs of 41 or more).');
  });

  it('and every event', () => {
    const { lab, emit } = fakeLab();
    const seen: unknown[] = [];
    const stop = inAppLanguage(lab).subscribe((event) => seen.push(event));
    emit({ type: 'ended', message: 'The training process was killed (SIGKILL); run r1 is left interrupted at its last checkpoint. Resume it with: nnlab runs resume r1' });
    expect(seen).toEqual([{ type: 'ended', message: 'The training process was killed (SIGKILL); run r1 is left interrupted at its last checkpoint. Resume it in Runs (Resume)' }]);
    stop();
  });
});
