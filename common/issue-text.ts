import type { z } from 'zod';

/**
 * Parse options for a schema whose issues are shown to a person: a value that is not there is "missing
 * (expected string)", where zod itself would say "Invalid input: expected string, received undefined".
 */
export const plainIssues: z.core.ParseContext<z.core.$ZodIssue> = {
  error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? `missing (expected ${issue.expected})` : undefined),
};
