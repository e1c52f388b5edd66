import type { TrainingSession } from '../lab/training-session';

/**
 * Lets a session train to its end from the command line: Ctrl-C stops it at the next batch, keeping what
 * was learned. `begin` is the command that sets it going (start for a new run, resume for an old one).
 */
export async function trainToEnd(session: TrainingSession, begin: (s: TrainingSession) => Promise<unknown>): Promise<void> {
  const onSigint = () => { void session.stop().catch(() => {}); };
  process.once('SIGINT', onSigint);
  // No one at a terminal is asked to continue after a rollback: the run ends there, diverged, with its last good weights.
  const offRollback = session.subscribe((event) => {
    if (event.type === 'progress' && event.progress.state === 'rolled-back') void session.stop().catch(() => {});
  });
  try {
    await begin(session).catch(() => {});
    await session.exited;
  } finally {
    process.removeListener('SIGINT', onSigint);
    offRollback();
  }
}
