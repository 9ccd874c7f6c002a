export { jsonParameter, locatorParameter, optionsParameter, parseJson, stringParameter, withoutBlanks } from '../shared/params';
