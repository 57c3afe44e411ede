import { Inject } from '@nestjs/common';
import { JOB_STORE } from './store.constants.js';

/** Injects the app's `JobStore`: `constructor(@InjectJobStore() private store: JobStore)`. */
export const InjectJobStore = (): PropertyDecorator & ParameterDecorator => Inject(JOB_STORE);
