// A small hash router: the console is served as static files at /admin/, so routes live after '#'.
import { useEffect, useState } from 'react';

export function currentPath(): string {
  const raw = window.location.hash.replace(/^#/, '');
  return raw.split('?')[0] || '/';
}

export function currentQuery(): URLSearchParams {
  const raw = window.location.hash.replace(/^#/, '');
  const i = raw.indexOf('?');
  return new URLSearchParams(i >= 0 ? raw.slice(i + 1) : '');
}

export function navigate(path: string) {
  if (window.location.hash !== `#${path}`) window.location.hash = path;
}

export function useHashPath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}
