// The line protocol of subprocess objectives. A command reports by printing one JSON object per line
// with the reserved key "sweep"; every other line is ordinary output, kept in the trial's log.
//   {"sweep": "report", "value": 0.31, "step": 4}      intermediate value of the study's metric
//   {"sweep": "log", "key": "acc", "value": 0.9, "step": 4}   any metric (the study's metric = a report)
//   {"sweep": "tag", "key": "note", "value": "text"}
//   {"sweep": "result", "value": 0.27}                  the objective (else: the last reported value)
//   {"sweep": "result", "value": [0.27, 12.5]}          several objectives, in the study's order
//   {"sweep": "result", "value": {"error": 0.27, "latency_ms": 12.5}}   or keyed by metric name
//   {"sweep": "model", "path": "out/model.pkl", "name": "model", "flavor": "sklearn", "metadata": {...}}
//                       a model file or directory (relative to the command's directory), logged as trial.logModel
//   {"sweep": "artifact", "path": "out/plot.png", "artifact_path": "plots/plot.png"}
//                       a file or directory (relative to the command's directory), logged as trial.logArtifact
//   {"sweep": "input", "name": "train", "source": "data/train.csv", "context": "training"}   a dataset input

export type ProtocolMessage =
  | { readonly kind: 'report'; readonly value: number; readonly step: number }
  | { readonly kind: 'log'; readonly key: string; readonly value: number; readonly step: number }
  | { readonly kind: 'tag'; readonly key: string; readonly value: string }
  | { readonly kind: 'result'; readonly value: number | readonly number[] | Readonly<Record<string, number>> }
  | { readonly kind: 'artifact'; readonly path: string; readonly artifactPath?: string }
  | { readonly kind: 'model'; readonly path: string; readonly name?: string; readonly flavor?: string; readonly metadata?: Record<string, unknown> }
  | { readonly kind: 'input'; readonly name: string; readonly source: string; readonly digest?: string; readonly context?: string };

/** A protocol message, an error text for a malformed sweep line, or undefined for ordinary output. */
export function parseLine(line: string): ProtocolMessage | { readonly kind: 'invalid'; readonly reason: string } | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.includes('"sweep"')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch {
    return { kind: 'invalid', reason: `not JSON: ${trimmed.slice(0, 120)}` };
  }
  if (typeof data !== 'object' || data === null || !('sweep' in data)) return undefined;
  const m = data as Record<string, unknown>;
  const num = (v: unknown): v is number => typeof v === 'number';
  const step = m['step'] === undefined ? 0 : m['step'];
  const stepOk = typeof step === 'number' && Number.isInteger(step) && step >= 0;
  switch (m['sweep']) {
    case 'report':
      if (num(m['value']) && stepOk) return { kind: 'report', value: m['value'], step: step as number };
      break;
    case 'log':
      if (typeof m['key'] === 'string' && num(m['value']) && stepOk) return { kind: 'log', key: m['key'], value: m['value'], step: step as number };
      break;
    case 'tag':
      if (typeof m['key'] === 'string' && m['value'] !== undefined) return { kind: 'tag', key: m['key'], value: String(m['value']) };
      break;
    case 'result':
      if (num(m['value'])) return { kind: 'result', value: m['value'] };
      if (Array.isArray(m['value']) && m['value'].length > 0 && m['value'].every(num)) return { kind: 'result', value: m['value'] as number[] };
      if (isNumberRecord(m['value'])) return { kind: 'result', value: m['value'] };
      break;
    case 'artifact': {
      const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
      if (str(m['path']) && (m['artifact_path'] === undefined || str(m['artifact_path']))) {
        return { kind: 'artifact', path: m['path'], ...(str(m['artifact_path']) && { artifactPath: m['artifact_path'] }) };
      }
      break;
    }
    case 'model': {
      const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
      const metadata = m['metadata'];
      const isRecord = metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata);
      if (str(m['path']) && (m['name'] === undefined || str(m['name'])) && (m['flavor'] === undefined || str(m['flavor'])) && (metadata === undefined || isRecord)) {
        return {
          kind: 'model', path: m['path'],
          ...(str(m['name']) && { name: m['name'] }), ...(str(m['flavor']) && { flavor: m['flavor'] }),
          ...(isRecord && { metadata: metadata as Record<string, unknown> }),
        };
      }
      break;
    }
    case 'input': {
      const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
      if (str(m['name']) && str(m['source']) && (m['digest'] === undefined || str(m['digest'])) && (m['context'] === undefined || str(m['context']))) {
        return {
          kind: 'input', name: m['name'], source: m['source'],
          ...(str(m['digest']) && { digest: m['digest'] }), ...(str(m['context']) && { context: m['context'] }),
        };
      }
      break;
    }
  }
  return { kind: 'invalid', reason: `malformed sweep message: ${trimmed.slice(0, 120)}` };
}

function isNumberRecord(v: unknown): v is Record<string, number> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'number');
}
