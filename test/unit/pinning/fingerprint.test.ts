import { describe, expect, it } from 'vitest';
import { canonicalHash } from '../../../electron/main/base/canonical-json.ts';
import {
  fingerprint,
  itemName,
  pinnedDefinition,
  pinnedInstructions,
  pinnedPrompt,
  pinnedResourceTemplate,
  pinnedTool,
} from '../../../electron/main/pinning/fingerprint.ts';

const tool = {
  name: 'read_file',
  title: 'Read file',
  description: 'Reads a file.',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  outputSchema: { type: 'object', properties: { text: { type: 'string' } } },
  annotations: { readOnlyHint: true, openWorldHint: false },
  icons: [{ src: 'https://example.com/icon.png', mimeType: 'image/png' }],
  execution: { taskSupport: 'optional' },
  _meta: { 'example.com/requestCount': 1 },
};

const prompt = {
  name: 'review',
  title: 'Review',
  description: 'Reviews code.',
  arguments: [{ name: 'code', title: 'Code', description: 'The code', required: true, extra: 1 }],
  icons: [{ src: 'https://example.com/p.png' }],
  _meta: { x: 1 },
};

const template = {
  uriTemplate: 'file:///{path}',
  name: 'files',
  title: 'Files',
  description: 'A file.',
  mimeType: 'text/plain',
  annotations: { audience: ['assistant'], priority: 0.5, lastModified: '2025-01-01T00:00:00Z' },
  icons: [{ src: 'https://example.com/t.png' }],
  _meta: { x: 1 },
};

describe('pinnedTool', () => {
  it('keeps every field the model reads or policy uses, and leaves out _meta', () => {
    const { _meta: _, ...expected } = tool;
    expect(pinnedTool(tool)).toEqual(expected);
    expect(pinnedTool(tool)).not.toHaveProperty('_meta');
  });

  it('leaves out unknown extra fields and keeps missing fields absent', () => {
    expect(
      pinnedTool({ name: 'x', inputSchema: { type: 'object' }, extra: 1, title: undefined }),
    ).toStrictEqual({
      name: 'x',
      inputSchema: { type: 'object' },
    });
    expect(Object.keys(pinnedTool({ name: 'x' }))).toEqual(['name']);
  });

  it('keeps a parameter named _meta inside the input schema', () => {
    const pinned = pinnedTool({ name: 'x', inputSchema: { properties: { _meta: { type: 'string' } } } });
    expect(pinned).toEqual({ name: 'x', inputSchema: { properties: { _meta: { type: 'string' } } } });
  });

  it('returns a copy: changing the input afterwards does not change the pin', () => {
    const input = structuredClone(tool);
    const pinned = pinnedTool(input);
    input.inputSchema.properties.path.type = 'number';
    expect(pinned).toEqual(pinnedTool(tool));
  });

  it('gives an empty definition for a non-object', () => {
    expect(pinnedTool(null)).toEqual({});
    expect(pinnedTool('tool')).toEqual({});
  });

  it('keeps a __proto__ key as plain data', () => {
    const input = JSON.parse(
      '{"name":"x","inputSchema":{"properties":{"__proto__":{"type":"string"}}}}',
    ) as unknown;
    const pinned = pinnedTool(input);
    const properties = (pinned['inputSchema'] as { properties: object }).properties;
    expect(Object.keys(properties)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
  });
});

describe('fingerprint', () => {
  it('is the canonical hash of the definition', () => {
    const pinned = pinnedTool(tool);
    expect(fingerprint(pinned)).toBe(canonicalHash(pinned));
    expect(fingerprint(pinned)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not change with key order, at any depth', () => {
    const reordered = {
      _meta: tool._meta,
      execution: tool.execution,
      annotations: { openWorldHint: false, readOnlyHint: true },
      inputSchema: { required: ['path'], properties: { path: { type: 'string' } }, type: 'object' },
      icons: tool.icons,
      outputSchema: tool.outputSchema,
      description: tool.description,
      title: tool.title,
      name: tool.name,
    };
    expect(fingerprint(pinnedTool(reordered))).toBe(fingerprint(pinnedTool(tool)));
  });

  it('ignores _meta', () => {
    const other = { ...tool, _meta: { 'example.com/requestCount': 2, progressToken: 'abc' } };
    expect(fingerprint(pinnedTool(other))).toBe(fingerprint(pinnedTool(tool)));
    const { _meta: _, ...without } = tool;
    expect(fingerprint(pinnedTool(without))).toBe(fingerprint(pinnedTool(tool)));
  });

  it.each<[string, Record<string, unknown>]>([
    ['name', { name: 'read_files' }],
    ['title', { title: 'Read a file' }],
    ['description', { description: 'Reads a file and sends it away.' }],
    ['inputSchema', { inputSchema: { ...tool.inputSchema, required: [] } }],
    ['outputSchema', { outputSchema: { type: 'object' } }],
    ['annotations', { annotations: { readOnlyHint: false, openWorldHint: false } }],
    [
      'annotations (a flipped destructiveHint)',
      { annotations: { ...tool.annotations, destructiveHint: true } },
    ],
    ['icons', { icons: [{ src: 'https://evil.example/icon.png', mimeType: 'image/png' }] }],
    ['execution', { execution: { taskSupport: 'required' } }],
  ])('changes when %s changes', (_label, patch) => {
    expect(fingerprint(pinnedTool({ ...tool, ...patch }))).not.toBe(fingerprint(pinnedTool(tool)));
  });

  it.each(['title', 'description', 'outputSchema', 'annotations', 'icons', 'execution'])(
    'changes when %s is removed',
    (field) => {
      const copy: Record<string, unknown> = { ...tool };
      delete copy[field];
      expect(fingerprint(pinnedTool(copy))).not.toBe(fingerprint(pinnedTool(tool)));
    },
  );
});

describe('pinnedPrompt', () => {
  it('keeps name, title, description, icons and the pinned argument fields', () => {
    expect(pinnedPrompt(prompt)).toEqual({
      name: 'review',
      title: 'Review',
      description: 'Reviews code.',
      arguments: [{ name: 'code', title: 'Code', description: 'The code', required: true }],
      icons: [{ src: 'https://example.com/p.png' }],
    });
  });

  it.each<[string, unknown]>([
    ['name', 'source'],
    ['title', 'Source'],
    ['description', 'The code to send'],
    ['required', false],
  ])('changes its fingerprint when argument %s changes', (field, value) => {
    const changed = { ...prompt, arguments: [{ ...prompt.arguments[0], [field]: value }] };
    expect(fingerprint(pinnedPrompt(changed))).not.toBe(fingerprint(pinnedPrompt(prompt)));
  });

  it('ignores _meta and extra argument fields', () => {
    const changed = { ...prompt, _meta: { y: 2 }, arguments: [{ ...prompt.arguments[0], extra: 2 }] };
    expect(fingerprint(pinnedPrompt(changed))).toBe(fingerprint(pinnedPrompt(prompt)));
  });

  it('keeps a prompt without arguments without an arguments field', () => {
    expect(pinnedPrompt({ name: 'p' })).toEqual({ name: 'p' });
  });
});

describe('pinnedResourceTemplate', () => {
  it('keeps the template fields, leaving out _meta and annotations.lastModified', () => {
    expect(pinnedResourceTemplate(template)).toEqual({
      uriTemplate: 'file:///{path}',
      name: 'files',
      title: 'Files',
      description: 'A file.',
      mimeType: 'text/plain',
      annotations: { audience: ['assistant'], priority: 0.5 },
      icons: [{ src: 'https://example.com/t.png' }],
    });
  });

  it('does not change its fingerprint when only lastModified changes', () => {
    const changed = {
      ...template,
      annotations: { ...template.annotations, lastModified: '2026-01-01T00:00:00Z' },
    };
    expect(fingerprint(pinnedResourceTemplate(changed))).toBe(fingerprint(pinnedResourceTemplate(template)));
  });

  it.each(['uriTemplate', 'name', 'title', 'description', 'mimeType', 'annotations', 'icons'])(
    'changes its fingerprint when %s is removed',
    (field) => {
      const copy: Record<string, unknown> = { ...template };
      delete copy[field];
      expect(fingerprint(pinnedResourceTemplate(copy))).not.toBe(
        fingerprint(pinnedResourceTemplate(template)),
      );
    },
  );
});

describe('pinnedInstructions and pinnedDefinition', () => {
  it('wraps the instructions text', () => {
    expect(pinnedInstructions('Use read_file for files.')).toEqual({
      instructions: 'Use read_file for files.',
    });
    expect(fingerprint(pinnedInstructions('a'))).not.toBe(fingerprint(pinnedInstructions('b')));
  });

  it('dispatches on the kind', () => {
    expect(pinnedDefinition('tool', tool)).toEqual(pinnedTool(tool));
    expect(pinnedDefinition('prompt', prompt)).toEqual(pinnedPrompt(prompt));
    expect(pinnedDefinition('resource-template', template)).toEqual(pinnedResourceTemplate(template));
    expect(pinnedDefinition('instructions', 'hi')).toEqual({ instructions: 'hi' });
  });
});

describe('itemName', () => {
  it('names tools and prompts by name, templates by URI template, instructions by ""', () => {
    expect(itemName('tool', pinnedTool(tool))).toBe('read_file');
    expect(itemName('prompt', pinnedPrompt(prompt))).toBe('review');
    expect(itemName('resource-template', pinnedResourceTemplate(template))).toBe('file:///{path}');
    expect(itemName('instructions', pinnedInstructions('x'))).toBe('');
  });

  it('gives undefined when there is no string name', () => {
    expect(itemName('tool', {})).toBeUndefined();
    expect(itemName('prompt', { name: 3 })).toBeUndefined();
    expect(itemName('resource-template', { name: 'files' })).toBeUndefined();
    expect(itemName('tool', null)).toBeUndefined();
  });
});
