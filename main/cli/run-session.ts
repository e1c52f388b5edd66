import type { TrainingSession } from '../lab/training-session';

/**
 * Lets a session train to its end from the command line: Ctrl-C stops it at the next batch, keeping what
 * was learned. `begin` is the command that sets it going (start for a new run, resume for an old one).
 */
export async function trainToEnd(session: TrainingSession, begin: (s: TrainingSession) => Promise<unknown>): Promise<void> {
  const onSigint = () => { void session.stop().catch(() => {}); };
  process.once('SIGINT', onSigint);
  try {
    await begin(session).catch(() => {});
    await session.exited;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
