import { mount, type Component } from 'svelte';
import ArchitectureEditor from '../../../renderer/src/components/ArchitectureEditor.svelte';
import Results from '../../../renderer/src/components/Results.svelte';
import TrainingForm from '../../../renderer/src/components/TrainingForm.svelte';
import CrossValidationResults from '../../../renderer/src/components/CrossValidationResults.svelte';
import FoldsField from '../../../renderer/src/components/FoldsField.svelte';
import RunsTable from '../../../renderer/src/components/RunsTable.svelte';
import SweepCompare from '../../../renderer/src/components/SweepCompare.svelte';
import type { RunEvaluation, RunListItem } from '../../../common/lab-api';
import type { FoldResult } from '../../../renderer/src/lib/cross-validation.svelte';
import { evaluationFixture } from './evaluations';
import { recentProbe } from './recent-host';
import { defaultSettings, type TrainSettings } from '../../../renderer/src/lib/settings';
import '../../../renderer/src/styles.css';

/**
 * Mounts one renderer component with reactive props for the component tests: the page's address says
 * which (`?component=architecture&task=multiclass&inputs=4&classes=3`), and `window.harness` lets a test
 * read the settings the component wrote and change the props.
 */
const query = new URLSearchParams(location.search);
const props = $state({
  settings: defaultSettings() as TrainSettings,
  inputs: Number(query.get('inputs') ?? 4),
  task: (query.get('task') ?? 'multiclass') as 'binary' | 'multiclass' | 'regression',
  classes: Number(query.get('classes') ?? 3),
  learningRates: [] as number[],
  evaluation: null as RunEvaluation | null,
  folds: null as number | null,
  runs: [] as RunListItem[],
  results: [] as FoldResult[],
});

const target = document.getElementById('app')!;
const which = query.get('component');
if (which === 'architecture') {
  // The editor's tests work on a network of their own, two ReLU layers of 16 and 8, whatever the defaults are.
  props.settings.layers = [{ units: 16, activation: 'relu' }, { units: 8, activation: 'relu' }];
  mount(ArchitectureEditor as unknown as Component<Record<string, unknown>>, { target, props });
} else if (which === 'training') {
  mount(TrainingForm as unknown as Component<Record<string, unknown>>, {
    target,
    props: {
      get settings() { return props.settings; },
      set settings(value: TrainSettings) { props.settings = value; },
      get task() { return props.task; },
      onlearningrate: (rate: number) => props.learningRates.push(rate),
    },
  });
} else if (which === 'results') {
  // The fixture for the page's task until a test hands over an evaluation of its own (harness.set({ evaluation })).
  mount(Results as unknown as Component<Record<string, unknown>>, { target, props: { get evaluation() { return props.evaluation ?? evaluationFixture(props.task); } } });
} else if (which === 'folds') {
  mount(FoldsField as unknown as Component<Record<string, unknown>>, {
    target,
    props: {
      get value() { return props.folds; },
      set value(value: number | null) { props.folds = value; },
    },
  });
} else if (which === 'cv-results') {
  mount(CrossValidationResults as unknown as Component<Record<string, unknown>>, {
    target,
    props: { name: 'iris 3-fold', folds: 3, get results() { return props.results; } },
  });
} else if (which === 'runs') {
  mount(RunsTable as unknown as Component<Record<string, unknown>>, {
    target,
    props: { get runs() { return props.runs; }, selected: [], focused: null, live: null, ontoggle: () => {}, onfocus: () => {} },
  });
} else if (which === 'sweep-compare') {
  mount(SweepCompare as unknown as Component<Record<string, unknown>>, { target, props: { get runs() { return props.runs; } } });
} else if (which === 'recent') {
  (window as unknown as { recent: ReturnType<typeof recentProbe> }).recent = recentProbe();
} else {
  target.textContent = `Unknown component "${which}".`;
}

declare global {
  interface Window {
    harness: { settings(): TrainSettings; learningRates(): number[]; folds(): number | null; set(changes: Partial<typeof props>): void };
  }
}

window.harness = {
  settings: () => $state.snapshot(props.settings) as TrainSettings,
  learningRates: () => [...props.learningRates],
  folds: () => props.folds,
  set: (changes) => Object.assign(props, changes),
};
