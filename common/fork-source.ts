import { z } from 'zod';

/** A saved epoch of a run, as a new run forked from its checkpoint names it. */
export const forkSourceSchema = z.object({ run: z.string().min(1).max(200), epoch: z.number().int().positive() });
export type ForkSource = z.infer<typeof forkSourceSchema>;
