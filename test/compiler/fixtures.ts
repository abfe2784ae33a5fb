// Small specs for the checker tests, and helpers to change one line of them.

/** A valid 2-D toy spec; line numbers below refer to it. */
export const TOY = `gan toy
data ring8 batch 8
latent normal 2

generator
  dense 16
  relu
  dense 2

discriminator
  dense 16
  lrelu 0.2
  dense 1

loss nonsaturating
train steps 10
`;

/** A valid convolutional MNIST spec; line numbers below refer to it. */
export const MNIST = `gan conv
data mnist batch 16
latent normal 32

generator
  dense 7*7*8
  reshape 7 7 8
  deconv 4 kernel 4 stride 2
  relu
  deconv 1 kernel 4 stride 2
  tanh

discriminator
  conv 8 kernel 4 stride 2
  lrelu 0.2
  conv 16 kernel 4 stride 2
  flatten
  dense 1
`;

/** The text with line `line` (1-based) replaced; the replacement may span several lines. */
export function replaceLine(text: string, line: number, replacement: string): string {
  const lines = text.split('\n');
  lines[line - 1] = replacement;
  return lines.join('\n');
}

export const appendLines = (text: string, ...lines: string[]): string => `${text}${lines.join('\n')}\n`;
