import type { Bench } from './bench.svelte';
import type { ShortcutAction } from './shortcuts';

export type TrainAction = ShortcutAction | 'toggle';

/** The training controls' actions, each with whether its button is enabled now: a key or a menu item does what the button does. */
export function trainActions(bench: Bench): Record<TrainAction, [enabled: boolean, go: () => void]> {
  const run = bench.run;
  return {
    start: [bench.canStart, () => void bench.start()],
    pause: [run.canPause, () => void run.pause()],
    resume: [run.canResume, () => void run.resume()],
    step: [bench.canStep, () => void bench.step()],
    stop: [run.canStop, () => void run.stop()],
    reset: [run.canReset, () => void run.reset()],
    toggle: run.canPause ? [true, () => void run.pause()] : [run.canResume, () => void run.resume()],
  };
}

/** Does a training action if its button is enabled; true when it acted. */
export function performTrainAction(bench: Bench, action: TrainAction): boolean {
  const [enabled, go] = trainActions(bench)[action];
  if (enabled) go();
  return enabled;
}
