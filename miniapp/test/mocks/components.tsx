// DOM stand-ins for @tarojs/components, enough for the pages' behaviour under jest.
import React from 'react';
import Taro from './taro';

type AnyProps = Record<string, any> & { children?: React.ReactNode };

function pass(props: AnyProps) {
  const { children, className, onClick, style, ...rest } = props;
  const dataAttrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (k.startsWith('data-')) dataAttrs[k] = v;
  return { children, className, onClick, style, ...dataAttrs };
}

export function View(props: AnyProps) {
  return <div {...pass(props)} />;
}

export function Text(props: AnyProps) {
  return <span {...pass(props)} />;
}

export function Image(props: AnyProps) {
  const { src, mode } = props;
  return <img {...pass(props)} src={src} data-mode={mode} alt='' />;
}

export function Button(props: AnyProps) {
  return <button type='button' {...pass(props)} disabled={!!props.disabled} />;
}

export function Input(props: AnyProps) {
  const { value, placeholder, onInput, maxlength } = props;
  return (
    <input
      {...pass(props)}
      value={value ?? ''}
      placeholder={placeholder}
      maxLength={maxlength}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
    />
  );
}

export function Textarea(props: AnyProps) {
  const { value, placeholder, onInput, maxlength } = props;
  return (
    <textarea
      {...pass(props)}
      value={value ?? ''}
      placeholder={placeholder}
      maxLength={maxlength}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
    />
  );
}

/** Renders its children plus a <select> (mode selector) or an <input> (mode date) that a test can change. */
export function Picker(props: AnyProps) {
  const { mode, range, onChange, children, disabled } = props;
  return (
    <div className='picker' data-mode={mode ?? 'selector'}>
      {children}
      {mode === 'date' ? (
        <input data-testid='picker-date' data-start={props.start} data-end={props.end} disabled={!!disabled} onChange={(e) => onChange?.({ detail: { value: e.target.value } })} />
      ) : (
        <select data-testid='picker-select' disabled={!!disabled} value='' onChange={(e) => onChange?.({ detail: { value: Number(e.target.value) } })}>
          <option value=''>-</option>
          {(range ?? []).map((r: unknown, i: number) => (
            <option key={i} value={i}>{String(r)}</option>
          ))}
        </select>
      )}
    </div>
  );
}

export function Switch(props: AnyProps) {
  return <input type='checkbox' {...pass(props)} checked={!!props.checked} onChange={(e) => props.onChange?.({ detail: { value: e.target.checked } })} />;
}

/** WeChat's <navigator>: a tap navigates to `url` (open-type navigate), recorded by the Taro stand-in. */
export function Navigator(props: AnyProps) {
  const { url } = props;
  return <div {...pass(props)} data-url={url} onClick={() => (Taro.navigateTo as (o: { url: string }) => Promise<void>)({ url })} />;
}
