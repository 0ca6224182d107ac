import { useEffect, useRef } from 'preact/hooks';
import type { RpcError, TestResultView } from '../../src/protocol';
import { strings } from '../strings';

interface Props {
  readonly running: boolean;
  readonly progress: string | undefined;
  readonly result: TestResultView | undefined;
  readonly error: RpcError | undefined;
  /** Stops a running test (the host closes the provider connection). */
  readonly onStop?: () => void;
  /** Opens the budgets, offered when a budget's hard stop refused the test. */
  readonly onChangeBudget?: () => void;
}

type StepState = 'pass' | 'fail' | 'skip' | 'info';

/** The steps of a connection test with codicons; on failure the provider's own status, code and message, and the hint. */
export function ConnectionTester(props: Props) {
  const { result } = props;
  const region = useRef<HTMLElement>(null);
  // The outcome appears below the form's buttons: bring it into view, as the user is waiting for it.
  useEffect(() => {
    region.current?.scrollIntoView({ block: 'nearest' });
  }, [props.running, result, props.error]);
  if (props.running) {
    return (
      <section class="tester" aria-live="polite" aria-busy="true" ref={region}>
        <p class="tester-running">
          <span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> {props.progress ?? strings.testing}
        </p>
        {props.onStop ? (
          <vscode-button id="test-stop" secondary icon="debug-stop" onClick={props.onStop}>
            {strings.stopTest}
          </vscode-button>
        ) : null}
      </section>
    );
  }
  if (props.error) {
    return (
      <section class="tester" aria-live="polite" ref={region}>
        <p class="tester-summary failed" role="alert">
          <span class="codicon codicon-error" aria-hidden="true" /> {props.error.message}
        </p>
        {props.error.code === 'budget' && props.onChangeBudget ? (
          <vscode-button id="test-change-budget" secondary onClick={props.onChangeBudget}>
            {strings.changeBudget}
          </vscode-button>
        ) : null}
      </section>
    );
  }
  if (!result) return null;
  const step = (ok: boolean | undefined): StepState => (ok === true ? 'pass' : ok === false ? 'fail' : 'skip');
  const steps: { label: string; state: StepState }[] = [
    { label: strings.stepReachable, state: step(result.reachable) },
    { label: strings.stepAuthenticated, state: result.reachable ? step(result.authenticated) : 'skip' },
    { label: strings.stepModelFound, state: result.authenticated ? step(result.modelFound) : 'skip' },
    { label: strings.stepStreaming, state: result.authenticated && result.modelFound !== false ? step(result.streaming) : 'skip' },
    { label: strings.stepLatency(result.latencyMs), state: 'info' },
  ];
  const failure = result.failure;
  return (
    <section class="tester" aria-live="polite" ref={region}>
      <p class={result.ok ? 'tester-summary passed' : 'tester-summary failed'} role={result.ok ? 'status' : 'alert'}>
        <span class={result.ok ? 'codicon codicon-pass-filled' : 'codicon codicon-error'} aria-hidden="true" />{' '}
        {result.ok ? strings.testPassed(result.latencyMs) : strings.testFailed}
      </p>
      <ul class="tester-steps">
        {steps.map((s) => (
          <li key={s.label} class={`step ${s.state}`}>
            <span class={`codicon ${icons[s.state]}`} aria-hidden="true" /> {s.label}
            {s.state === 'skip' ? <span class="muted"> — {strings.stepSkipped}</span> : null}
          </li>
        ))}
      </ul>
      {failure ? (
        <div class="tester-failure">
          <p>
            <strong>{strings.providerSaid}</strong>
            {strings.providerStatus(failure.status, failure.code) ? <code class="status-code">{strings.providerStatus(failure.status, failure.code)}</code> : null}
          </p>
          <blockquote class="provider-message">{failure.message}</blockquote>
          {failure.retryAfterMs === undefined ? null : <p class="muted">{strings.retryAfter(failure.retryAfterMs)}</p>}
        </div>
      ) : null}
      {result.hint ? (
        <p class="tester-hint">
          <span class="codicon codicon-lightbulb" aria-hidden="true" /> {result.hint}
        </p>
      ) : null}
    </section>
  );
}

const icons: Record<StepState, string> = {
  pass: 'codicon-pass',
  fail: 'codicon-error',
  skip: 'codicon-circle-slash',
  info: 'codicon-watch',
};
