import { getContext, setContext } from 'svelte';

/** A field whose entry cannot be used: what it says and the text the person typed (kept when the field is shown again). */
export interface FieldProblem {
  field: string;
  message: string;
  text: string;
}

/**
 * The settings fields whose entries are invalid, by field name. An invalid entry leaves the settings at their
 * last valid value, so Start stays off while any is here, and says why.
 */
export class FieldProblems {
  private byField = $state.raw<Record<string, FieldProblem>>({});

  get(field: string): FieldProblem | undefined {
    return this.byField[field];
  }

  report(field: string, problem: { message: string; text: string } | null): void {
    if (problem) {
      this.byField = { ...this.byField, [field]: { field, ...problem } };
    } else if (field in this.byField) {
      const { [field]: _gone, ...rest } = this.byField;
      this.byField = rest;
    }
  }

  /** Forgets the fields that `matches` picks (all of them without it): their settings were replaced. */
  clear(matches: (field: string) => boolean = () => true): void {
    this.byField = Object.fromEntries(Object.entries(this.byField).filter(([field]) => !matches(field)));
  }

  get first(): FieldProblem | null {
    return Object.values(this.byField)[0] ?? null;
  }
}

const KEY = Symbol('field-problems');

export function provideFieldProblems(problems: FieldProblems): void {
  setContext(KEY, problems);
}

/** The bench's problems where the app provides them, else the component's own (a field mounted alone). */
export function useFieldProblems(): FieldProblems {
  return getContext<FieldProblems | undefined>(KEY) ?? new FieldProblems();
}
