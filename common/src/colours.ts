export const COLOURS = ['green', 'orange'] as const;
export type Colour = (typeof COLOURS)[number];

export const COLOUR_TEXT: Record<Colour, string> = {
  green: '绿码',
  orange: '橙码',
};
