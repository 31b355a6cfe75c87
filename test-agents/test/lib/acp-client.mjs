// The client side of ACP written out by hand (JSON-RPC 2.0, one message per line), as a broker
// that relays raw messages sees it: requests carry `method` and `id`, responses `id` and
// `result` or `error`, notifications `method` alone. Both sides number their requests from 0.
import { JsonLinesProcess } from './json-lines.mjs';

export const isResponseTo = (id) => (m) => m.id === id && !('method' in m);
export const isUpdate = (m) => m.method === 'session/update';
export const isPermissionRequest = (m) => m.method === 'session/request_permission' && 'id' in m;

/** The text of the `agent_message_chunk` updates among `messages`, joined. */
export function agentText(messages) {
  return messages
    .filter((m) => isUpdate(m) && m.params.update.sessionUpdate === 'agent_message_chunk')
    .map((m) => m.params.update.content.text)
    .join('');
}

export class AcpPeer {
  static start(script, { cwd, env } = {}) {
    return new AcpPeer(JsonLinesProcess.start(process.execPath, [script], { cwd, env }));
  }

  constructor(lines) {
    this.lines = lines;
    this.nextId = 0;
  }

  /** Sends a request and returns its id. */
  send(method, params) {
    const id = this.nextId++;
    this.lines.send({ jsonrpc: '2.0', id, method, params });
    return id;
  }

  notify(method, params) {
    this.lines.send({ jsonrpc: '2.0', method, params });
  }

  /** Answers a request the agent sent, under the agent's own id. */
  respond(request, result) {
    this.lines.send({ jsonrpc: '2.0', id: request.id, result });
  }

  /** Every message up to and including the response to request `id`. */
  untilResponse(id) {
    return this.lines.until(isResponseTo(id), `the response to request ${id}`);
  }

  /** Sends a request and waits for its response; returns `{response, before}` (messages that came first). */
  async call(method, params) {
    const messages = await this.untilResponse(this.send(method, params));
    return { response: messages.at(-1), before: messages.slice(0, -1) };
  }

  /** Sends a request and returns its `result`, failing on an error response. */
  async result(method, params) {
    const { response } = await this.call(method, params);
    if (response.error) throw new Error(`${method} failed: ${JSON.stringify(response.error)}`);
    return response.result;
  }

  async initialize() {
    return this.result('initialize', { protocolVersion: 1, clientCapabilities: {} });
  }

  async newSession(cwd) {
    return (await this.result('session/new', { cwd, mcpServers: [] })).sessionId;
  }

  promptParams(sessionId, text) {
    return { sessionId, prompt: [{ type: 'text', text }] };
  }

  kill(signal) {
    return this.lines.kill(signal);
  }
}
