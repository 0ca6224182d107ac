import { strings } from './strings';

export function App(props: { initialScreen: 'list' | 'add' }) {
  return (
    <div data-screen={props.initialScreen}>
      <h1>{strings.title}</h1>
    </div>
  );
}
