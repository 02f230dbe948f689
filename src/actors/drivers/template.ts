/** A placeholder the template names but the harness has no value for: the profile is wrong. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/**
 * Fill `{name}` placeholders. In a JSON template (`json: true`) values are written as JSON string
 * contents, so an NHS number or a URL can never break the document; an unknown placeholder is an
 * error naming it and the placeholders there are.
 */
export function fillTemplate(template: string, values: Record<string, string>, options: { json?: boolean; where?: string } = {}): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new TemplateError(`${options.where ?? 'template'}: no value for {${name}}; the placeholders are ${Object.keys(values).map((k) => `{${k}}`).join(' ')}`);
    return options.json ? JSON.stringify(values[name]).slice(1, -1) : values[name];
  });
}

/** Fill every string in a record (environment variables). */
export function fillEach(record: Record<string, string> | undefined, values: Record<string, string>, where: string): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, fillTemplate(v, values, { where: `${where}.${k}` })]));
}
