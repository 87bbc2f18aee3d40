import type { FlagConditions } from './conditions.js';
import type { HandlerCall, HandlerOptions } from './handler-spec.js';

/** A method a decorator can mark as a reactive handler. */
type HandlerMethod<This> = (this: This, call: HandlerCall) => unknown;

/** A standard (TC39) method decorator. */
export type HandlerDecorator = <This extends object>(
  method: HandlerMethod<This>,
  context: ClassMethodDecoratorContext<This, HandlerMethod<This>>,
) => void;

interface Pending {
  readonly method: HandlerMethod<object>;
  options: HandlerOptions;
}

// Decorated methods of each instance, waiting for `new Reactive(instance)` or `reactive.adopt()`.
const pending = new WeakMap<object, Map<string | symbol, Pending>>();

/**
 * The decorator for one kind of condition. Stacked decorators on one method make one handler whose
 * conditions all must hold, as in charms.reactive. They use standard decorators only
 * (`context.addInitializer`), so no compiler flag and no `Symbol.metadata` are needed; the
 * handlers are registered when the object's {@link Reactive} is created (or `adopt`s it).
 */
function decorator(add: (options: HandlerOptions) => HandlerOptions): HandlerDecorator {
  return (method, context) => {
    if (context.static || context.private) {
      throw new TypeError(
        `@reactive decorators go on public instance methods, not on ${String(context.name)}`,
      );
    }
    context.addInitializer(function (this) {
      let methods = pending.get(this);
      if (!methods) {
        methods = new Map();
        pending.set(this, methods);
      }
      const entry = methods.get(context.name) ?? {
        method: method as HandlerMethod<object>,
        options: { name: String(context.name) },
      };
      entry.options = add(entry.options);
      methods.set(context.name, entry);
    });
  };
}

const join = (a: FlagConditions | undefined, b: FlagConditions): string[] => [
  ...(a === undefined ? [] : typeof a === 'string' ? [a] : a),
  ...(typeof b === 'string' ? [b] : b),
];

/** `@when(['db.ready', '!configured'])`: every condition holds. */
export function when(conditions: FlagConditions): HandlerDecorator {
  return decorator((o) => ({ ...o, when: join(o.when, conditions) }));
}

/** `@whenAny([...])`: at least one condition holds. */
export function whenAny(conditions: FlagConditions): HandlerDecorator {
  return decorator((o) => ({ ...o, whenAny: join(o.whenAny, conditions) }));
}

/** `@whenNot([...])`: none of the flags is set. */
export function whenNot(flags: FlagConditions): HandlerDecorator {
  return decorator((o) => ({ ...o, whenNone: join(o.whenNone, flags) }));
}

/** `@whenFileChanged('/etc/app.conf')`: a file changed since the handler last ran. */
export function whenFileChanged(paths: string | readonly string[]): HandlerDecorator {
  return decorator((o) => ({
    ...o,
    whenFileChanged: join(o.whenFileChanged as FlagConditions | undefined, paths),
  }));
}

/** `@hook('config-changed')`: the hook phase, when the hook matches. */
export function hook(patterns: string | readonly string[]): HandlerDecorator {
  return decorator((o) => ({ ...o, hook: join(o.hook as FlagConditions | undefined, patterns) }));
}

/** `@onlyOnce()`: at most once in the unit's life. */
export function onlyOnce(): HandlerDecorator {
  return decorator((o) => ({ ...o, onlyOnce: true }));
}

/** @internal The decorated methods of `owner` not registered yet; taking them forgets them. */
export function takeDecorated(owner: object): { method: HandlerMethod<object>; options: HandlerOptions }[] {
  const methods = pending.get(owner);
  if (!methods) return [];
  pending.delete(owner);
  return [...methods.values()];
}
