export function requiredNode(root: string): [number, number];
export function nodeProblem(version: string, required: [number, number], what: string): string | null;
