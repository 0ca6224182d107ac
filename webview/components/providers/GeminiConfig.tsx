import { strings } from '../../strings';
import { SelectField } from '../Field';
import { GenericConfig } from './GenericConfig';
import type { ProviderFormProps } from './types';

interface SafetySetting {
  readonly category: string;
  readonly threshold: string;
}

/** The saved list as category → threshold; text that is not such a list reads as "all defaults". */
function thresholdsOf(json: string | undefined): Map<string, string> {
  try {
    const parsed: unknown = JSON.parse(json ?? '[]');
    if (!Array.isArray(parsed)) return new Map();
    return new Map(
      parsed
        .filter((s): s is SafetySetting => typeof s === 'object' && s !== null && typeof (s as SafetySetting).category === 'string' && typeof (s as SafetySetting).threshold === 'string')
        .map((s) => [s.category, s.threshold]),
    );
  } catch {
    return new Map();
  }
}

/** Gemini: the generic form, with where its keys come from, and one threshold per harm category instead of raw JSON. */
export function GeminiConfig(props: ProviderFormProps) {
  const item = props.schema.properties.safetySettings?.items?.properties;
  // The categories and thresholds come from the host's schema, so they are the ones it accepts.
  const categories = item?.category?.enum ?? Object.keys(strings.safetyCategories);
  const thresholds = item?.threshold?.enum ?? Object.keys(strings.safetyThresholds);
  const chosen = thresholdsOf(props.form.values.safetySettings);
  const choose = (category: string, threshold: string): void => {
    const next = new Map(chosen);
    if (threshold) next.set(category, threshold);
    else next.delete(category);
    const list = categories.filter((c) => next.has(c)).map((c) => ({ category: c, threshold: next.get(c) }));
    props.onField('safetySettings', list.length > 0 ? JSON.stringify(list) : '');
  };
  const errors = Object.entries(props.errors).filter(([field]) => field.startsWith('safetySettings'));
  return (
    <GenericConfig {...props} hint={strings.geminiHint} ownFields={['safetySettings']}>
      {'safetySettings' in props.schema.properties ? (
        <fieldset class="safety-settings">
          <legend>{strings.safetyLegend}</legend>
          <p class="help">{strings.safetyHelp}</p>
          {categories.map((category) => (
            <SelectField
              key={category}
              id={`field-safety-${category}`}
              label={strings.safetyCategories[category] ?? category}
              value={chosen.get(category) ?? ''}
              options={[{ value: '', label: strings.safetyDefault }, ...thresholds.map((t) => ({ value: t, label: strings.safetyThresholds[t] ?? t }))]}
              onChange={(threshold) => {
                choose(category, threshold);
              }}
            />
          ))}
          {errors.map(([field, message]) => (
            <p class="field-error" key={field}>
              <span class="codicon codicon-error" aria-hidden="true" /> {message}
            </p>
          ))}
        </fieldset>
      ) : null}
    </GenericConfig>
  );
}
