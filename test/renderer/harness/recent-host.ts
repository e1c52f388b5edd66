import { BenchDataset } from '../../../renderer/src/lib/dataset.svelte';
import type { Host, PickedFile } from '../../../renderer/src/lib/host';
import type { DatasetHandle, LabClient } from '../../../common/lab-api';

/** What test/renderer/recent.test.ts reads back: the paths the lab was asked to open, and what the picker was asked for. */
export interface RecentProbe {
  opened: string[];
  picks: number;
  open(kind: 'desktop' | 'browser', name: string): Promise<void>;
  reopen(kind: 'desktop' | 'browser', index: number): Promise<void>;
  recent(kind: 'desktop' | 'browser'): unknown[];
}

const handle = (name: string): DatasetHandle => ({ id: name, name, rows: 0, summary: {} as DatasetHandle['summary'] });

/**
 * BenchDataset on a host of each kind whose lab answers only what opening a file asks: a desktop host hands over
 * paths, a browser host only the file (an upload). A new BenchDataset per call reads the list as a reload does.
 */
export function recentProbe(): RecentProbe {
  const probe: RecentProbe = {
    opened: [],
    picks: 0,
    async open(kind, name) {
      const picked: PickedFile = { name, path: kind === 'desktop' ? `/data/${name}` : null, openDataset: async () => handle(name), openModel: async () => { throw new Error('no models'); } };
      await new BenchDataset(host(kind, picked)).openFile(new File(['x'], name));
    },
    async reopen(kind, index) {
      const dataset = new BenchDataset(host(kind, null));
      await dataset.openRecent(dataset.recent[index]!);
    },
    recent: (kind) => new BenchDataset(host(kind, null)).recent,
  };
  function host(kind: 'desktop' | 'browser', picked: PickedFile | null): Host {
    const lab = {
      openDatasetPath: async (path: string) => {
        probe.opened.push(path);
        return handle(path);
      },
    } as unknown as LabClient;
    return {
      kind,
      lab,
      chooseFile: async () => {
        probe.picks++;
        return null;
      },
      pickedFile: async () => picked!,
      saveFile: async () => {},
    };
  }
  return probe;
}
