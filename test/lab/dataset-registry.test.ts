import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetRegistry } from '../../main/lab/dataset-registry';
import { tempHome } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

describe('DatasetRegistry', () => {
  it('reads a file again for new roles, and reads it anew once it changes on disk', async () => {
    const registry = new DatasetRegistry(home.dir);
    const path = join(home.dir, 'table.csv');
    writeFileSync(path, 'a,b,y\n1,2,x\n3,4,z\n5,6,x\n');
    const opened = await registry.openPath(path);
    const ignored = await registry.inspect(opened.id, { ignore: ['a'] });
    expect(ignored.summary.columns.map((c) => c.role)).toEqual(['ignored', 'feature', 'target']);
    writeFileSync(path, 'a,b,c,y\n1,2,0,x\n3,4,1,z\n5,6,0,x\n7,8,1,z\n');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const changed = await registry.inspect(opened.id, {});
    expect(changed.rows).toBe(4);
    expect(changed.summary.columns.map((c) => c.name)).toEqual(['a', 'b', 'c', 'y']);
  });
});
