import { contextBridge } from 'electron';
import type { LabApi } from './api';

const lab: LabApi = { version: __NNLAB_VERSION__ };

contextBridge.exposeInMainWorld('lab', lab);
