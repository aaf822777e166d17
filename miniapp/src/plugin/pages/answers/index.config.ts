export { default } from '../../../pages/answers/index.config';
