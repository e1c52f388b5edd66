import type { TrainingHealth } from '../../engine/health';

/** The training health's warnings as `nnlab train` prints them, one line each; none for a healthy run. */
export function healthLines(health: TrainingHealth | undefined): string[] {
  const warnings = health?.warnings ?? [];
  return warnings.length === 0 ? [] : ['', 'Training health:', ...warnings.map((w) => `  ${w.kind}: ${w.message}`), ''];
}

/** The `health` of `nnlab train --json`: each warning as {kind, layer?, message}. */
export function healthJson(health: TrainingHealth | undefined): { kind: string; layer?: number; message: string }[] {
  return (health?.warnings ?? []).map((w) => ({ kind: w.kind, ...(w.layer !== undefined ? { layer: w.layer } : {}), message: w.message }));
}
