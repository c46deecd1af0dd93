import { ScenarioEditor } from './ScenarioEditor';
import { ScenariosList } from './ScenariosList';
import type { ScenariosView } from './routes';
import './scenarios.css';

/** The scenarios area (routes.ts): the list, or one scenario in the editor. */
export function ScenariosRoute({ view }: { view: ScenariosView }) {
  return view.page === 'list' ? <ScenariosList /> : <ScenarioEditor key={view.id} id={view.id} />;
}
