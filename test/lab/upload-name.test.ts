import { describe, expect, it } from 'vitest';
import { uploadName } from '../../main/lab/upload-name';

describe('the name an upload is kept by', () => {
  it('keeps an ordinary name, and only its last part', () => {
    expect(uploadName('glass.csv', 'data.csv')).toBe('glass.csv');
    expect(uploadName('../../etc/passwd', 'data.csv')).toBe('passwd');
    expect(uploadName('my data (2).csv', 'data.csv')).toBe('my data _2_.csv');
  });

  it('falls back for names that would name a folder', () => {
    for (const name of ['', '.', '..', '  ', '. .']) expect(uploadName(name, 'data.csv')).toBe('data.csv');
  });

  it('puts a _ before the device names Windows refuses as file names, with any extension and any case', () => {
    expect(uploadName('CON', 'data.csv')).toBe('_CON');
    expect(uploadName('nul.csv', 'data.csv')).toBe('_nul.csv');
    expect(uploadName('Com1.tar.csv', 'data.csv')).toBe('_Com1.tar.csv');
    expect(uploadName('lpt9.csv', 'data.csv')).toBe('_lpt9.csv');
    // Names that only begin like one are files like any other.
    expect(uploadName('console.csv', 'data.csv')).toBe('console.csv');
    expect(uploadName('com10.csv', 'data.csv')).toBe('com10.csv');
    expect(uploadName('x'.repeat(200), 'data.csv')).toHaveLength(120);
  });
});
