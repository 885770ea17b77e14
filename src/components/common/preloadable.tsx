import React, { useState, type ComponentType } from "react";

export interface Preloadable<P extends object> {
  /** Renders the component; when its code is already loaded, without suspending first. */
  readonly Component: (props: P) => React.JSX.Element;
  /** Starts loading its code (once). */
  readonly preload: () => Promise<unknown>;
}

/**
 * React.lazy with a preload: code asked for early (a tab opened on the status loads the view's chunks
 * while it signs in) renders straight away. A plain lazy component suspends once even when its module
 * is loaded, and React then keeps the fallback up for a moment (its Suspense throttling) before it shows
 * the content. Each mounted instance keeps the component it started with, so nothing remounts.
 */
export function preloadable<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): Preloadable<P> {
  let loaded: ComponentType<P> | undefined;
  let promise: Promise<{ default: ComponentType<P> }> | undefined;
  const preload = (): Promise<{ default: ComponentType<P> }> =>
    (promise ??= load().then((m) => {
      loaded = m.default;
      return m;
    }));
  const Lazy = React.lazy(preload);
  function Component(props: P): React.JSX.Element {
    const [Chosen] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return <Chosen {...props} />;
  }
  return { Component, preload: () => preload().catch(() => undefined) };
}
