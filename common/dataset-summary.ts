import type { ColumnRole } from '../engine/data/dataset';
import type { ColumnSummary } from '../engine/data/columns';
import type { TaskChoice } from '../engine/data/task';

export interface ColumnReport extends ColumnSummary {
  role: ColumnRole;
  /** Why a column is ignored, when it is. */
  reason?: string;
}

/** What a person sees of a file before training on it: how it was read, its columns, and its first rows. */
export interface DatasetSummary {
  source: string;
  dialect: {
    delimiter: string;
    delimiterName: string;
    decimal: string;
    encoding: string;
    bom: boolean;
    header: boolean;
    lineEnding: string;
    comments: boolean;
  };
  rows: number;
  bytes: number;
  target: string;
  task: TaskChoice | null;
  /** Why the target cannot be learned, when it cannot. */
  taskProblem: string | null;
  columns: ColumnReport[];
  warnings: string[];
  preview: Record<string, string | number | null>[];
}
