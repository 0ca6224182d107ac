import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { PromptRequest } from '../../src/host/promptSeam';
import { testApi } from './api';

export type Answer = (request: PromptRequest) => unknown;

export interface Script {
  /** Every question the commands asked while the script was installed, in order. */
  readonly asked: PromptRequest[];
  /** Answers not used yet (a script that ends with some left over asked fewer questions than expected). */
  readonly left: number;
  dispose(): void;
}

/**
 * Answers the commands' questions in order, through the extension's test API (as the user would in the real
 * dialogs); a question beyond the list is cancelled, as pressing Escape would.
 */
export async function answerPrompts(...answers: Answer[]): Promise<Script> {
  const { prompts } = await testApi();
  const asked: PromptRequest[] = [];
  const queue = [...answers];
  const installed = prompts.answerWith((request) => {
    asked.push(request);
    const next = queue.shift();
    return next ? next(request) : undefined;
  });
  return {
    asked,
    get left() {
      return queue.length;
    },
    dispose: () => {
      installed.dispose();
    },
  };
}

/** Runs `body` with the answers installed, then checks every answer was used. */
export async function withAnswers<T>(answers: Answer[], body: (script: Script) => PromiseLike<T>): Promise<T> {
  const script = await answerPrompts(...answers);
  try {
    const result = await body(script);
    assert.equal(script.left, 0, `the command asked fewer questions than scripted: ${JSON.stringify(script.asked.map(describeRequest))}`);
    return result;
  } finally {
    script.dispose();
  }
}

/** The item of a quick pick whose label (without an icon prefix) is `label`. */
export function pick(label: string | RegExp): Answer {
  return (request) => {
    assert.equal(request.kind, 'quickPick', `expected a quick pick for "${String(label)}", got ${describeRequest(request)}`);
    const found = request.items.find((item) => matches(item.label, label));
    assert.ok(found, `no item "${String(label)}" in ${JSON.stringify(request.items.map((i) => i.label))}`);
    return request.options.canPickMany ? [found] : found;
  };
}

/** Several items of a multi-select quick pick, by label. */
export function pickAll(...labels: string[]): Answer {
  return (request) => {
    assert.ok(request.kind === 'quickPick' && request.options.canPickMany, `expected a multi-select quick pick, got ${describeRequest(request)}`);
    return labels.map((label) => {
      const found = request.items.find((item) => matches(item.label, label));
      assert.ok(found, `no item "${label}"`);
      return found;
    });
  };
}

/** Text typed into an input box (its own check still applies); `undefined` accepts the value it offers. */
export function type(text?: string): Answer {
  return (request) => {
    assert.equal(request.kind, 'inputBox', `expected an input box, got ${describeRequest(request)}`);
    return text ?? request.options.value ?? '';
  };
}

/** The Back button of a wizard step (refused by the seam where the step has none). */
export function back(): Answer {
  return (request) => {
    assert.ok(request.kind === 'quickPick' || request.kind === 'inputBox', `expected a wizard step, got ${describeRequest(request)}`);
    assert.equal(request.options.canGoBack, true, `${describeRequest(request)} has no Back button`);
    return { back: true };
  };
}

/** The button of a message (a confirmation) called `label`. */
export function press(label: string): Answer {
  return (request) => {
    assert.equal(request.kind, 'message', `expected a message with "${label}", got ${describeRequest(request)}`);
    return label;
  };
}

/** The file chosen in a save or open dialog. */
export function file(uri: vscode.Uri): Answer {
  return (request) => {
    assert.ok(request.kind === 'saveDialog' || request.kind === 'openDialog', `expected a file dialog, got ${describeRequest(request)}`);
    return uri;
  };
}

export function describeRequest(request: PromptRequest): string {
  switch (request.kind) {
    case 'quickPick':
      return `quick pick "${request.options.title ?? request.options.placeHolder ?? ''}"`;
    case 'inputBox':
      return `input box "${request.options.prompt ?? ''}"`;
    case 'message':
      return `${request.severity} "${request.message}"${request.options.modal ? ' (modal)' : ''}`;
    default:
      return request.kind;
  }
}

function matches(itemLabel: string, label: string | RegExp): boolean {
  const plain = itemLabel.replace(/^\$\([\w-]+\)\s*/, '');
  return typeof label === 'string' ? plain === label : label.test(plain);
}
