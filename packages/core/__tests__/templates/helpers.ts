import { compileTemplate, type CompiledTemplate } from '../../src/templates/compileTemplate.ts';
import { renderTemplate, type TemplateValues } from '../../src/templates/renderTemplate.ts';
import { ANNOUNCEMENT_VARIABLES, CHAT_COMMAND_VARIABLES } from '../../src/templates/variables.ts';

/** Compile options for chat commands and for announcements of any kind. */
export const chat = { allowed: CHAT_COMMAND_VARIABLES };
export const announce = { allowed: ANNOUNCEMENT_VARIABLES };

export function compiled(source: string, options: { allowed: readonly string[] } = chat): CompiledTemplate {
  const result = compileTemplate(source, options);
  if (!result.ok) throw new Error(`expected ${source} to compile: ${JSON.stringify(result.errors)}`);
  return result.template;
}

export const never = (): number => {
  throw new Error('rng must not be called');
};

export function render(source: string, values: TemplateValues, options: { allowed: readonly string[] } = chat, rng: () => number = never): string {
  return renderTemplate(compiled(source, options), values, rng);
}
