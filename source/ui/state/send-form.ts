/** The send dialog: three text fields, one focused. */
export const sendFields = ['to', 'subject', 'body'] as const;
export type SendField = typeof sendFields[number];

export interface SendForm {
	to: string;
	subject: string;
	body: string;
	field: SendField;
	error?: string;
	/** Valid and submitted: App sends it and closes the dialog, or reports the error. */
	sending: boolean;
}

export type SendFormAction =
	| {type: 'type'; text: string}
	| {type: 'backspace'}
	| {type: 'next-field'}
	| {type: 'previous-field'}
	| {type: 'submit'}
	| {type: 'error'; message: string};

export const emptySendForm: SendForm = {to: '', subject: '', body: '', field: 'to', sending: false};

/** Pure: tested without Ink. */
export function sendFormReducer(form: SendForm, action: SendFormAction): SendForm {
	switch (action.type) {
		case 'type': {
			return {...form, [form.field]: form[form.field] + action.text, error: undefined};
		}

		case 'backspace': {
			return {...form, [form.field]: form[form.field].slice(0, -1)};
		}

		case 'next-field': {
			return {...form, field: sendFields[(sendFields.indexOf(form.field) + 1) % sendFields.length]!};
		}

		case 'previous-field': {
			return {...form, field: sendFields[(sendFields.indexOf(form.field) + sendFields.length - 1) % sendFields.length]!};
		}

		case 'submit': {
			const problem = sendFormProblem(form);
			return problem ? {...form, error: problem} : {...form, sending: true, error: undefined};
		}

		case 'error': {
			return {...form, sending: false, error: action.message};
		}
	}
}

/** Why the form cannot be sent yet, or undefined when it can. */
export function sendFormProblem(form: SendForm): string | undefined {
	if (form.to.trim() === '') {
		return 'say who the message is for (to)';
	}

	if (form.subject.trim() === '') {
		return 'a message needs a subject';
	}

	return undefined;
}
