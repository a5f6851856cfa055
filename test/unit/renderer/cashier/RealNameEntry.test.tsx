// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RealName } from '../../../../shared/real-name';
import { RealNameEntry, realNameProblem, realNameToSend } from '../../../../renderer/cashier/RealNameEntry';
import { useLanguage } from '../support/fixtures';

// The real-name entry (issue 13 §5): what may be sent, and the inline
// message while it is typed (a number still being typed is not yet wrong).

beforeAll(() => useLanguage('en'));
afterEach(cleanup);

const VALID = '11010519491231002X';

function Harness() {
  const [value, setValue] = useState<RealName | null>(null);
  return <RealNameEntry value={value} onChange={setValue} />;
}

describe('realNameProblem / realNameToSend', () => {
  it('nothing typed sends nothing; one field alone is incomplete; both are checked', () => {
    expect(realNameProblem({ idCardNumber: ' ', name: '' })).toBeUndefined();
    expect(realNameToSend({ idCardNumber: ' ', name: '' })).toBeUndefined();
    expect(realNameProblem({ idCardNumber: VALID, name: '' })).toBe('incomplete');
    expect(realNameProblem({ idCardNumber: '', name: '王小明' })).toBe('incomplete');
    expect(realNameProblem({ idCardNumber: '1101051949', name: '王小明' })).toBe('id_format');
    expect(realNameProblem({ idCardNumber: VALID, name: '王小明1' })).toBe('name_format');
    expect(realNameToSend({ idCardNumber: ` ${VALID} `, name: ' 王小明 ' })).toEqual({ idCardNumber: VALID, name: '王小明' });
  });
});

describe('RealNameEntry', () => {
  it('opens on a tap, says nothing while the number is being typed, says what is wrong once it is whole, and closes on Remove', () => {
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Real-name check' }));
    const id = screen.getByRole('textbox', { name: 'ID card number' });
    fireEvent.change(id, { target: { value: '1101051949' } });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.change(id, { target: { value: '11010519491231002Y' } });
    expect(screen.getByRole('alert').textContent).toBe('An ID card number has 18 characters: 17 digits, then a digit or X.');
    fireEvent.change(id, { target: { value: '11010519491231002x' } });
    expect((id as HTMLInputElement).value).toBe(VALID);
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(screen.queryByRole('textbox', { name: 'ID card number' })).toBeNull();
  });
});
