import { mount, type Component } from 'svelte';
import ArchitectureEditor from '../../../renderer/src/components/ArchitectureEditor.svelte';
import Results from '../../../renderer/src/components/Results.svelte';
import TrainingForm from '../../../renderer/src/components/TrainingForm.svelte';
import { evaluationFixture } from './evaluations';
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
});

const target = document.getElementById('app')!;
const which = query.get('component');
if (which === 'architecture') {
  mount(ArchitectureEditor as unknown as Component<Record<string, unknown>>, { target, props });
} else if (which === 'training') {
  mount(TrainingForm as unknown as Component<Record<string, unknown>>, {
    target,
    props: {
      get settings() { return props.settings; },
      set settings(value: TrainSettings) { props.settings = value; },
      onlearningrate: (rate: number) => props.learningRates.push(rate),
    },
  });
} else if (which === 'results') {
  mount(Results as unknown as Component<Record<string, unknown>>, { target, props: { evaluation: evaluationFixture(props.task) } });
} else {
  target.textContent = `Unknown component "${which}".`;
}

declare global {
  interface Window {
    harness: { settings(): TrainSettings; learningRates(): number[]; set(changes: Partial<typeof props>): void };
  }
}

window.harness = {
  settings: () => $state.snapshot(props.settings) as TrainSettings,
  learningRates: () => [...props.learningRates],
  set: (changes) => Object.assign(props, changes),
};
