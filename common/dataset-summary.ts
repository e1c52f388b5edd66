import type { ColumnRole } from '../engine/data/dataset';
import type { ColumnSummary } from '../engine/data/columns';
import type { TaskChoice } from '../engine/data/task';
import type { ColumnTypeChoice } from '../engine/data/column-types';

export interface ColumnReport extends ColumnSummary {
  role: ColumnRole;
  /** What the column is encoded as: the type asked for, else the detected one ('ignore' for a column nnlab leaves out by itself). */
  encodedAs: ColumnTypeChoice;
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
