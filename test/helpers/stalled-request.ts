// A client that sends a request's headers and the start of its body, then nothing more: what a server
// answers it, once it closes the connection (a server that never does leaves this pending).
import { connect } from 'node:net';

/** The raw answer (latin1) to a stalled POST of 1000 announced bytes, read when the server closes. */
export async function stalledRequestAnswer(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => { answer += chunk.toString('latin1'); });
  socket.write('POST /api/2.0/mlflow/runs/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"experiment_ids": ');
  await new Promise((resolve) => socket.once('close', resolve));
  return answer;
}
