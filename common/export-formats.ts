/** The export formats, with what people see them called; kept free of dependencies so any process can list them. */
export const EXPORT_FORMATS = ['json', 'onnx', 'npz', 'js', 'py', 'torch', 'metrics'] as const;
export type ExportFormatId = (typeof EXPORT_FORMATS)[number];

export const EXPORT_LABELS: Record<ExportFormatId, string> = {
  json: 'nnlab model (JSON)',
  onnx: 'ONNX (opset 13)',
  npz: 'NumPy arrays (.npz)',
  js: 'JavaScript module (no dependencies)',
  py: 'Python module (NumPy only)',
  torch: 'PyTorch training script',
  metrics: 'Metrics (CSV and SVG charts)',
};

export const EXPORT_MIME: Record<ExportFormatId, string> = {
  json: 'application/json',
  onnx: 'application/octet-stream',
  npz: 'application/zip',
  js: 'text/javascript',
  py: 'text/x-python',
  torch: 'text/x-python',
  metrics: 'application/zip',
};
